package org.eseg.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports eseg's version from the jar manifest. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = EsegCli.class.getPackage().getImplementationVersion();
        return new String[] {"eseg " + (v == null ? "dev" : v) + " (DJL 0.36.0, PyTorch 2.7.1)"};
    }
}
