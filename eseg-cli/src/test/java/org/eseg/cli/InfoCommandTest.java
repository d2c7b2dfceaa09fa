package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eseg.model.EsegVariants;
import org.eseg.model.complexity.Complexity;
import org.eseg.model.complexity.ComplexityReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfoCommandTest {

    @Test
    void jsonLastLineCarriesTheCounts() throws Exception {
        CliRun r = CliRun.of("info", "--model", "eseg-lite-s", "--classes", "150", "--input", "520x520", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.lastLine());
        ComplexityReport expected = Complexity.measure(EsegVariants.byName("eseg-lite-s").withClasses(150), 520, 520);
        assertEquals(expected.total().params(), o.get("params").asLong());
        assertEquals(expected.total().macs(), o.get("macs").asLong());
        assertEquals("eseg-lite-s", o.get("model").asText());
        assertEquals("520x520", o.get("input").asText());
        assertEquals(expected.parts().get("decoder").macs(), o.get("parts").get("decoder").get("macs").asLong());
        assertTrue(r.out().contains("backbone"), r.out());
    }

    @Test
    void levelsAndDecoderOptionsChangeTheModel() throws Exception {
        CliRun p5 = CliRun.of("info", "--model", "eseg-s", "--max-level", "5", "--json");
        CliRun fpn = CliRun.of("info", "--model", "eseg-s", "--decoder", "fpn", "--json");
        ObjectMapper json = new ObjectMapper();
        assertEquals(5, json.readTree(p5.lastLine()).get("max_level").asInt());
        assertEquals("fpn", json.readTree(fpn.lastLine()).get("decoder").asText());
        long p5Params = json.readTree(p5.lastLine()).get("params").asLong();
        assertTrue(Math.abs(p5Params - 6.41e6) / 6.41e6 < 0.02, "P2-P5 params " + p5Params);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--model eseg-xl | eseg-lite-s",
        "--model eseg-s --classes 0 | --classes",
        "--model eseg-s --min-level 1 | --min-level",
        "--model eseg-s --max-level 10 | --max-level",
        "--model eseg-s --min-level 6 --max-level 4 | above",
        "--model eseg-s --input 0x512 | --input",
        "--model eseg-s --input 512 | --input",
        "--model eseg-s --backbone vgg16 | efficientnet-b0",
    })
    void badArgumentsExitWithUsageErrorNamingTheProblem(String args, String mentioned) {
        String[] argv = ("info " + args).trim().split(" ");
        CliRun r = CliRun.of(argv);
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains(mentioned), r.err());
    }

    @Test
    void modelsListsEveryVariant() throws Exception {
        CliRun r = CliRun.of("models", "--json");
        assertEquals(0, r.exitCode(), r.err());
        for (String name : EsegVariants.names()) {
            assertTrue(r.out().contains(name), r.out());
        }
        JsonNode o = new ObjectMapper().readTree(r.lastLine());
        assertEquals(EsegVariants.names().size(), o.get("models").size());
    }

    @Test
    void helpExitsCleanly() {
        CliRun r = CliRun.of("info", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("--max-level"), r.out());
    }
}
