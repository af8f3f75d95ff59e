package io.dln.gateway.runs;

import io.dln.core.template.TemplateLibrary;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.FieldProblem;
import io.dln.messages.RunEvent;
import io.dln.store.GuidanceEntity;
import io.dln.store.RunEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Guided search: records what a person tells a paused (or guided) run, for its trainer to apply at the start of the
 * next iteration; lists what was told, by whom, and where it was applied.
 */
@ApplicationScoped
public class GuidanceService {

    private static final Logger LOG = Logger.getLogger(GuidanceService.class);
    private static final TemplateLibrary TEMPLATES = TemplateLibrary.builtIn();
    private static final Set<String> ACTIONS = Set.of("pin", "edit", "reject", "feedback");

    /** Longest prompt a person may pin, write or reject, in characters. */
    static final int MAX_PROMPT = 10_000;
    /** Longest feedback text, in characters. */
    static final int MAX_FEEDBACK = 2_000;
    /** Guidance actions a run may collect in all. */
    static final int MAX_PER_RUN = 500;

    private final EntityManager em;
    private final RunBus bus;

    public GuidanceService(EntityManager em, RunBus bus) {
        this.em = em;
        this.bus = bus;
    }

    private record Recorded(GuidanceEntity guidance, int iteration, int iterations) {
    }

    public GuidanceView record(String tenant, UUID runId, GuidanceRequest request, String author) {
        Recorded recorded = QuarkusTransaction.requiringNew().call(() -> {
            RunEntity run = RunService.locked(em, tenant, runId);
            boolean pausing = (run.status == RunStatus.QUEUED || run.status == RunStatus.RUNNING) && (run.guided || run.pauseRequested);
            if (run.status != RunStatus.PAUSED && !pausing) {
                throw ApiException.conflict("run_not_guidable", "guidance is taken by a PAUSED run, or a QUEUED or RUNNING one that is "
                        + "guided or pausing; run " + runId + " is " + run.status + (run.status.terminal() ? "" : ": pause it first"));
            }
            GuidanceEntity g = checked(request, run);
            if (GuidanceEntity.count("runId", runId) >= MAX_PER_RUN) {
                throw ApiException.conflict("guidance_limit", "run " + runId + " already has " + MAX_PER_RUN + " guidance actions, the most a run takes");
            }
            g.id = UUID.randomUUID();
            g.runId = runId;
            g.author = author;
            g.createdAt = OffsetDateTime.now();
            g.persist();
            run.guidancePending = true;
            run.updatedAt = g.createdAt;
            return new Recorded(g, run.iteration, run.iterations);
        });
        GuidanceView view = view(recorded.guidance());
        bus.event(new RunEvent(runId.toString(), "GUIDANCE", recorded.iteration(), recorded.iterations(), null, null, null, 0,
                author + ": " + view.action() + " layer " + view.layer(), details(view), System.currentTimeMillis()));
        LOG.infof("run %s: %s of layer %d recorded for %s", runId, view.action(), view.layer(), author);
        return view;
    }

    public GuidanceItems list(String tenant, UUID runId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            RunEntity run = RunEntity.findById(runId);
            if (run == null || !run.tenant.equals(tenant)) throw ApiException.notFound("run " + runId);
            return new GuidanceItems(GuidanceEntity.ofRun(runId).stream().map(GuidanceService::view).toList());
        });
    }

    /** The actions applied at the start of iteration {@code n}'s step, oldest first. */
    List<GuidanceView> appliedAt(UUID runId, int n) {
        return GuidanceEntity.appliedAt(runId, n).stream().map(GuidanceService::view).toList();
    }

    /** The action as it will be stored, or a 400 naming each field that is wrong. */
    private static GuidanceEntity checked(GuidanceRequest request, RunEntity run) {
        List<FieldProblem> problems = new ArrayList<>();
        String action = request.action() == null ? null : request.action().strip().toLowerCase(Locale.ROOT);
        if (action == null || !ACTIONS.contains(action)) {
            problems.add(FieldProblem.of("action", "must be one of pin, edit, reject, feedback"));
        }
        Integer layer = request.layer();
        if (layer == null || (layer != 1 && layer != 2)) {
            problems.add(FieldProblem.of("layer", "must be 1 (the hidden layer) or 2 (the output layer)"));
        } else if (layer == 1 && !run.settings.twoLayers()) {
            problems.add(FieldProblem.of("layer", "a DLN-1 run has one layer, its output layer: use layer 2"));
        }
        if ("feedback".equals(action)) {
            if (request.prompt() != null) problems.add(FieldProblem.of("prompt", "feedback takes 'text', not 'prompt'"));
            if (request.text() == null) problems.add(FieldProblem.of("text", "required for feedback (an empty text clears it)"));
            else text(problems, "text", request.text(), MAX_FEEDBACK);
            String template = run.settings.backwardTemplate();
            if (problems.isEmpty() && !TEMPLATES.get(template).text().contains("feedback")) {
                throw ApiException.conflict("feedback_unsupported", "the run's backward template '" + template
                        + "' has no slot for feedback; pin, edit or reject prompts instead");
            }
        } else if (action != null && ACTIONS.contains(action)) {
            if (request.text() != null) problems.add(FieldProblem.of("text", action + " takes 'prompt', not 'text'"));
            if (request.prompt() == null || request.prompt().isBlank()) problems.add(FieldProblem.of("prompt", "required for " + action));
            else text(problems, "prompt", request.prompt(), MAX_PROMPT);
        }
        if (!problems.isEmpty()) {
            String message = problems.size() == 1 ? problems.getFirst().field() + ": " + problems.getFirst().message()
                    : "the guidance has " + problems.size() + " problems";
            throw ApiException.invalid(message, problems);
        }
        GuidanceEntity g = new GuidanceEntity();
        g.action = action;
        g.layer = layer;
        g.prompt = "feedback".equals(action) ? null : request.prompt().strip();
        g.text = "feedback".equals(action) ? request.text().strip() : null;
        return g;
    }

    private static void text(List<FieldProblem> problems, String field, String value, int max) {
        if (value.length() > max) problems.add(FieldProblem.of(field, "must be at most " + max + " characters, was " + value.length()));
        if (value.indexOf('\u0000') >= 0) problems.add(FieldProblem.of(field, "must not contain the NUL character (U+0000)"));
    }

    static GuidanceView view(GuidanceEntity g) {
        return new GuidanceView(g.id, g.runId, g.action, g.layer, g.prompt, g.text, g.author, g.createdAt, g.appliedAtIteration);
    }

    private static Map<String, Object> details(GuidanceView view) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", view.id().toString());
        details.put("action", view.action());
        details.put("layer", view.layer());
        if (view.prompt() != null) details.put("prompt", view.prompt());
        if (view.text() != null) details.put("text", view.text());
        details.put("author", view.author());
        details.put("createdAt", view.createdAt().toString());
        return details;
    }
}
