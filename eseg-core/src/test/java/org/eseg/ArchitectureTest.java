package org.eseg;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph is a DAG, lowest first: {@code util}; {@code graph} (inference ops); {@code model}
 * (blocks, each describing its own inference); then {@code data}, {@code image}, {@code infer},
 * {@code eval}, {@code train}, {@code demo}.
 */
@AnalyzeClasses(packages = "org.eseg", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String OURS = "org.eseg..";

    @ArchTest
    static final ArchRule utilDependsOnNothingOfOurs = classes().that().resideInAPackage("org.eseg.util..")
            .should().onlyDependOnClassesThat(not(resideInAPackage(OURS)).or(resideInAPackage("org.eseg.util..")));

    @ArchTest
    static final ArchRule graphKnowsOnlyOps = classes().that().resideInAPackage("org.eseg.graph..")
            .should().onlyDependOnClassesThat(not(resideInAPackage(OURS))
                    .or(resideInAnyPackage("org.eseg.graph..", "org.eseg.util..")));

    @ArchTest
    static final ArchRule modelDependsOnNothingAboveIt = classes().that().resideInAPackage("org.eseg.model..")
            .should().onlyDependOnClassesThat(not(resideInAPackage(OURS))
                    .or(resideInAnyPackage("org.eseg.model..", "org.eseg.graph..", "org.eseg.util..")));

    @ArchTest
    static final ArchRule inferDoesNotDependOnTraining = noClasses().that().resideInAPackage("org.eseg.infer..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.eseg.train..", "org.eseg.eval..", "org.eseg.demo..", "org.eseg.data.loader..");

    /** The compiler and the exporters know only ops, never a block type. */
    @ArchTest
    static final ArchRule compilerAndExportersKnowNoBlock = noClasses()
            .that().resideInAnyPackage("org.eseg.infer.compile..", "org.eseg.infer.export..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.eseg.model.backbone..", "org.eseg.model.decoder..", "org.eseg.model.head..",
                    "org.eseg.model.layers..");

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices().matching("org.eseg.(*)..")
            .should().beFreeOfCycles();

    /**
     * Every package on its own, too. The data packages are left out for now: {@code data} and its
     * dataset subpackages ({@code ade20k}, {@code cityscapes}, {@code folder}, {@code io}) still import
     * each other.
     */
    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("org.eseg.(**)")
            .should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage("org.eseg.data.."), resideInAPackage("org.eseg.data.."));
}
