"""Reasoning: the input contract, model descriptions as facts, the rules, the closed law, the engines, explanations, assessments and screening."""
