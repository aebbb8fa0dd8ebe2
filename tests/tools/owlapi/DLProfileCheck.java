// Load an ontology document with the OWL API (Debian libowlapi-java 5.1) and check it against the
// OWL 2 DL profile, as Protege and ROBOT would read it. Prints the ontology IRI and version IRI the
// OWL API chose, its header annotations, imports (resolved only through --map IRI=FILE, never from
// the network: a MISSING IMPORT line instead), unparsed triples and guessed declarations, then every
// profile violation grouped by kind and term. Exit 0: in OWL 2 DL; 1: violations.
//
//   java -cp BUILD:CLASSPATH DLProfileCheck FILE [--all] [--map IRI=FILE]... [--save OUT.ttl]
//   --save writes the OWL API's own Turtle rendering (what ROBOT's report queries run on).
// Driven by tests/tools/owlapi.py, which compiles it on first use.
import java.io.File;
import java.util.*;
import java.util.stream.Collectors;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.*;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class DLProfileCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) { System.err.println("usage: DLProfileCheck FILE [--all]"); System.exit(2); }
        boolean all = Arrays.asList(args).contains("--all");
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        String save = null;
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("--save")) {
                save = args[i + 1];
            } else if (args[i].equals("--map")) {
                String[] kv = args[i + 1].split("=", 2);
                m.getIRIMappers().add(new org.semanticweb.owlapi.util.SimpleIRIMapper(IRI.create(kv[0]),
                        IRI.create(new File(kv[1]))));
            }
        }
        // do not try to fetch owl:imports from the web (no network); report them instead
        m.getOntologyConfigurator().setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        m.addMissingImportListener(e -> System.out.println("MISSING IMPORT " + e.getImportedOntologyURI()));
        OWLOntology o = m.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLDocumentFormat fmt = m.getOntologyFormat(o);
        OWLOntologyID id = o.getOntologyID();
        System.out.println("FILE " + args[0]);
        System.out.println("FORMAT " + (fmt == null ? "?" : fmt.getKey()));
        System.out.println("ONTOLOGY IRI " + id.getOntologyIRI().map(IRI::toString).orElse("(anonymous)"));
        System.out.println("VERSION IRI " + id.getVersionIRI().map(IRI::toString).orElse("(none)"));
        System.out.println("IMPORTS " + o.importsDeclarations().map(d -> d.getIRI().toString()).collect(Collectors.toList()));
        System.out.println("ONTOLOGIES IN MANAGER " + m.ontologies().count());
        o.importsClosure().filter(x -> !x.getOntologyID().equals(o.getOntologyID())).forEach(x -> System.out.println("IMPORTED "
                + x.getOntologyID().getOntologyIRI().map(IRI::toString).orElse("(anonymous)")
                + " from " + m.getOntologyDocumentIRI(x)));
        o.annotations().sorted().forEach(a -> System.out.println("HEADER " + a.getProperty().getIRI().getShortForm()
                + " = " + abbrev(a.getValue().toString(), 100)));
        System.out.println("AXIOMS " + o.getAxiomCount() + " LOGICAL " + o.getLogicalAxiomCount()
                + " CLASSES " + o.classesInSignature().count() + " INDIVIDUALS " + o.individualsInSignature().count());
        if (fmt != null && fmt.getOntologyLoaderMetaData().isPresent()) {
            OWLOntologyLoaderMetaData md = fmt.getOntologyLoaderMetaData().get();
            if (md instanceof RDFParserMetaData) {
                RDFParserMetaData rmd = (RDFParserMetaData) md;
                List<RDFTriple> un = rmd.getUnparsedTriples().collect(Collectors.toList());
                System.out.println("TRIPLES " + rmd.getTripleCount() + " UNPARSED " + un.size());
                un.stream().limit(all ? Long.MAX_VALUE : 10).forEach(t -> System.out.println("  UNPARSED " + t));
                System.out.println("GUESSED DECLARATIONS " + rmd.getGuessedDeclarations().size());
                rmd.getGuessedDeclarations().asMap().entrySet().stream().limit(all ? Long.MAX_VALUE : 10)
                        .forEach(e -> System.out.println("  GUESSED " + e.getKey() + " " + e.getValue()));
            }
        }
        if (save != null) {  // the ontology as the OWL API writes it (declarations for every entity), as ROBOT sees it
            m.saveOntology(o, new org.semanticweb.owlapi.formats.TurtleDocumentFormat(),
                    IRI.create(new File(save)));
            System.out.println("SAVED " + save);
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(o);
        List<OWLProfileViolation> vs = report.getViolations();
        System.out.println("IN OWL 2 DL: " + report.isInProfile() + "  VIOLATIONS " + vs.size());
        Map<String, List<OWLProfileViolation>> byKind = new TreeMap<>();
        for (OWLProfileViolation v : vs) byKind.computeIfAbsent(v.getClass().getSimpleName(), k -> new ArrayList<>()).add(v);
        for (Map.Entry<String, List<OWLProfileViolation>> e : byKind.entrySet()) {
            System.out.println("KIND " + e.getKey() + " " + e.getValue().size());
            // group by the offending term / expression when there is one
            Map<String, Integer> what = new TreeMap<>();
            for (OWLProfileViolation v : e.getValue()) {
                Object x = v.getExpression();
                what.merge(x == null ? "-" : abbrev(x.toString(), 140), 1, Integer::sum);
            }
            what.entrySet().stream().limit(all ? Long.MAX_VALUE : 12)
                    .forEach(w -> System.out.println("  " + w.getValue() + "x " + w.getKey()));
            if (!all && what.size() > 12) System.out.println("  ... " + (what.size() - 12) + " more distinct");
            System.out.println("  e.g. " + abbrev(e.getValue().get(0).toString(), 300));
        }
        System.exit(report.isInProfile() ? 0 : 1);
    }

    static String abbrev(String s, int n) {
        s = s.replace('\n', ' ');
        return s.length() <= n ? s : s.substring(0, n) + "...";
    }
}
