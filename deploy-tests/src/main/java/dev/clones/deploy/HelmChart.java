package dev.clones.deploy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import java.nio.file.Path;
import java.util.List;

/** The chart, driven through Helm's own library (helm-java): offline lint and template. */
public final class HelmChart {

    /** Release name of every render; it makes the resource names ("clones-auth-service"). */
    public static final String RELEASE = "clones";

    /**
     * Kubernetes version the renders assume (Helm's library defaults to 1.20, older than the
     * chart's kubeVersion floor); the kubectl of these machines is 1.32.
     */
    public static final String KUBE_VERSION = "1.32.0";

    private final Path dir;

    public HelmChart(Path dir) {
        this.dir = dir;
    }

    public LintResult lintStrict() {
        return new Helm(dir).lint().strict().call();
    }

    /**
     * The text {@code helm install --dry-run=client} prints, NOTES.txt included (helm-java's
     * template leaves NOTES out).
     */
    public String installDryRun(List<Path> valuesFiles) {
        InstallCommand command = new Helm(dir).install().withName(RELEASE).withNamespace("clones")
                .withKubeVersion(KUBE_VERSION).clientOnly().withDryRunOption(DryRun.CLIENT);
        for (Path values : valuesFiles) {
            command = command.withValuesFile(values);
        }
        return command.call().getOutput();
    }

    /**
     * {@code helm template clones <chart> -f v1 -f v2 ...}: later files win, as with the CLI.
     * Throws {@link IllegalStateException} with Helm's message when the values are refused.
     * Like helm-java 0.0.21's template, the output has no hooks (the {@code helm test} pod).
     */
    public String template(List<Path> valuesFiles) {
        TemplateCommand command = new Helm(dir).template().withName(RELEASE).withKubeVersion(KUBE_VERSION);
        for (Path values : valuesFiles) {
            command = command.withValuesFile(values);
        }
        return command.call();
    }
}
