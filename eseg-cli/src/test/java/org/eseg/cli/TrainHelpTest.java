package org.eseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.eseg.train.TrainOptions;
import org.junit.jupiter.api.Test;

/** The flags and help of 'eseg train' come from TrainOptions.SETTINGS. */
class TrainHelpTest {

    @Test
    void everySettingHasAFlagWhoseHelpGivesItsDefault() {
        CliRun r = CliRun.of("train", "--help");
        assertEquals(0, r.exitCode(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        for (String expected : new String[] {"--lr=LR Initial learning rate (default 0.08).",
            "--weight-decay=WD Weight decay (default 0.00005).", "--[no-]ohem OHEM cross-entropy",
            "--[no-]flip Random horizontal flip (default on).", "--crop=HxW Crop size (default 512x1024).",
            "--classes=FILE Class list", "--max-minutes=M End training", "--[no-]skip-bad", "--model=NAME Model "
                    + "variant (default eseg-lite-s)."}) {
            assertTrue(help.contains(expected), expected + " not in: " + help);
        }
        // Every other numeric setting is a flag named after it.
        for (TrainOptions.Setting s : TrainOptions.SETTINGS) {
            if (s.defaultValue() instanceof Number && !s.key().startsWith("crop") && !s.key().equals("timeLimitSeconds")) {
                String flag = "--" + s.key().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
                assertTrue(help.contains(flag + "="), flag + " not in the help");
            }
        }
    }

    @Test
    void aBadValueIsAUsageErrorNamingTheFlag() {
        CliRun r = CliRun.of("train", "--lr", "x");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--lr"), r.err());
    }
}
