package io.dln.gateway.runs;

import io.dln.backends.registry.BackendRegistry;
import io.dln.backends.registry.ProbeStatus;
import io.dln.core.lm.Capabilities;
import io.dln.core.loss.Losses;
import io.dln.core.model.CapabilityCheck;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.SettingViolation;
import io.dln.core.model.StepCost;
import io.dln.core.template.TemplateException;
import io.dln.core.template.TemplateLibrary;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.tenants.Ceiling;
import io.dln.gateway.tenants.Ceilings;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/**
 * Everything a run is refused for at creation, one problem per field: settings out of range, a step too costly to
 * run, unknown templates or loss, unknown backends, and capabilities the settings need that the backends lack.
 */
@ApplicationScoped
public class RunChecks {

    private static final TemplateLibrary TEMPLATES = TemplateLibrary.builtIn();

    private final BackendRegistry backends;
    private final GatewayConfig.Limits limits;
    private final Ceilings ceilings;

    public RunChecks(BackendRegistry backends, GatewayConfig config, Ceilings ceilings) {
        this.backends = backends;
        this.limits = config.limits();
        this.ceilings = ceilings;
    }

    /** The backends a run uses, after {@code backend} filled in the roles not named. */
    public record Roles(String forward, String backward, String scoring) {
    }

    /** Settings as requested, layers applied; null after adding problems. */
    DlnSettings settings(CreateRunRequest request, List<FieldProblem> problems) {
        DlnSettings settings = SettingsReader.read(request.settings(), problems);
        if (settings == null) return null;
        if (request.layers() != null) {
            boolean givenInSettings = request.settings() != null && request.settings().has("layers")
                    && !request.settings().get("layers").isNull();
            if (givenInSettings && settings.layers() != request.layers().intValue()) {
                problems.add(FieldProblem.of("layers", "is " + request.layers() + " but settings.layers is " + settings.layers()));
                return null;
            }
            settings = settings.toBuilder().layers(request.layers()).build();
        }
        int before = problems.size();
        for (SettingViolation v : settings.violations()) problems.add(FieldProblem.of("settings." + v.field(), v.message()));
        template(problems, "settings.forwardTemplate", settings.forwardTemplate());
        template(problems, "settings.hiddenTemplate", settings.hiddenTemplate());
        template(problems, "settings.residualTemplate", settings.residualTemplate());
        template(problems, "settings.backwardTemplate", settings.backwardTemplate());
        for (int i = 0; i < settings.posteriorTemplates().size(); i++) {
            template(problems, "settings.posteriorTemplates[" + i + "]", settings.posteriorTemplates().get(i));
        }
        if (!Losses.NAMES.contains(settings.loss())) {
            problems.add(FieldProblem.of("settings.loss", "unknown loss '" + settings.loss() + "'; losses: " + String.join(", ", Losses.NAMES)));
        }
        return problems.size() > before ? null : settings;
    }

    /** A step of these settings on this data set must fit under the configured ceilings; each driving field is named. */
    void cost(DlnSettings settings, StepCost.SplitSizes splits, List<FieldProblem> problems) {
        StepCost.Ceilings ceilings = new StepCost.Ceilings(limits.maxCallsPerStep(), limits.maxStepMemory().asLongValue(),
                "the operator's dln.gateway.limits.max-calls-per-step and max-step-memory");
        for (SettingViolation v : StepCost.estimate(settings, splits).refusals(settings, ceilings)) {
            problems.add(FieldProblem.of("settings." + v.field(), v.message()));
        }
    }

    Roles roles(String tenant, CreateRunRequest request, List<FieldProblem> problems) {
        Ceiling ceiling = ceilings.of(tenant);
        String forward = backend(problems, ceiling, "forwardBackend", request.forwardBackend(), request.backend());
        String backward = backend(problems, ceiling, "backwardBackend", request.backwardBackend(), request.backend());
        String scoring = backend(problems, ceiling, "scoringBackend", request.scoringBackend(), request.backend());
        return forward == null || backward == null || scoring == null ? null : new Roles(forward, backward, scoring);
    }

    /** What the settings need from the backends and they lack, given whether the data set has output classes. */
    void capabilities(DlnSettings settings, boolean taskHasClasses, Roles roles, List<FieldProblem> problems) {
        List<String> missing = CapabilityCheck.problems(settings, taskHasClasses, capabilities(roles.forward()),
                capabilities(roles.backward()), capabilities(roles.scoring()));
        for (String problem : missing) {
            String field = fieldOfCapabilityProblem(problem);
            String backend = switch (field) {
                case "forwardBackend" -> roles.forward();
                case "backwardBackend" -> roles.backward();
                case "scoringBackend" -> roles.scoring();
                default -> null;
            };
            problems.add(FieldProblem.of(field, problem + unreachableNote(backend)));
        }
    }

    private Capabilities capabilities(String backend) {
        if (backends.status().get(backend).state() == ProbeStatus.State.NOT_PROBED) backends.probe(backend);
        return backends.model(backend).capabilities();
    }

    /** Why a backend's capabilities are unknown; what the probe met is in the log, not in the answer. */
    private String unreachableNote(String backend) {
        if (backend == null) return "";
        ProbeStatus status = backends.status().get(backend);
        return status.state() == ProbeStatus.State.FAILED
                ? " (backend '" + backend + "' could not be probed, so its capabilities are unknown; the operator can "
                + "declare them under dln.backends." + backend + ".capabilities)"
                : "";
    }

    private String backend(List<FieldProblem> problems, Ceiling ceiling, String field, String named, String common) {
        String name = named != null && !named.isBlank() ? named.strip() : common == null || common.isBlank() ? null : common.strip();
        String shownField = named != null && !named.isBlank() ? field : "backend";
        if (name == null) {
            problems.add(FieldProblem.of(field, "required: name a backend here or in 'backend'; backends: " + known(ceiling)));
            return null;
        }
        if (!backends.contains(name) || !ceiling.allows(name)) {
            if (problems.stream().noneMatch(p -> p.field().equals(shownField))) {
                problems.add(FieldProblem.of(shownField, (backends.contains(name) ? "backend '" + name + "' is not allowed "
                        + "for this tenant" : "unknown backend '" + name + "'") + "; backends: " + known(ceiling)));
            }
            return null;
        }
        return name;
    }

    /** The backends the tenant may use, as messages list them. */
    public String known(Ceiling ceiling) {
        List<String> usable = backends.names().stream().filter(ceiling::allows).sorted().toList();
        return usable.isEmpty() ? "none" : String.join(", ", usable);
    }

    private static void template(List<FieldProblem> problems, String field, String reference) {
        try {
            TEMPLATES.get(reference);
        } catch (TemplateException e) {
            problems.add(FieldProblem.of(field, e.getMessage()));
        }
    }

    static String fieldOfCapabilityProblem(String problem) {
        String text = problem.toLowerCase(Locale.ROOT);
        if (text.startsWith("trustfactor")) return "settings.trustFactor";
        if (text.contains("forward backend")) return "forwardBackend";
        if (text.contains("backward backend")) return "backwardBackend";
        if (text.contains("scoring backend")) return "scoringBackend";
        return "backends";
    }
}
