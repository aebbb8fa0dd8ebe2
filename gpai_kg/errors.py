"""The one error type users see: a single line naming what is wrong."""


class UserError(Exception):
    """Bad input or a broken source. The CLI prints ``str(error)`` on one line
    and exits with ``exit_code``; no traceback is shown."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(" ".join(message.split()))
        self.exit_code = exit_code
