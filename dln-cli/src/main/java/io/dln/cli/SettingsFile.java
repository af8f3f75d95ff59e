package io.dln.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dln.core.model.DlnSettings;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The DLN settings a command sends: a --settings file, with the command line's options over it. Before anything is
 * sent they are read as {@link DlnSettings} and checked by {@link DlnSettings#problems()}, so an unknown field or an
 * out-of-range value fails at once, naming the field.
 */
final class SettingsFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CommandLine commandLine;
    private final Path file;
    private final ObjectNode node;

    private SettingsFile(CommandLine commandLine, Path file, ObjectNode node) {
        this.commandLine = commandLine;
        this.file = file;
        this.node = node;
    }

    static SettingsFile read(CommandLine commandLine, Path file) {
        if (file == null) return new SettingsFile(commandLine, null, MAPPER.createObjectNode());
        JsonNode read;
        try {
            read = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new CommandLine.ParameterException(commandLine, "--settings " + file + ": not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(commandLine, "--settings: cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (!(read instanceof ObjectNode object)) {
            throw new CommandLine.ParameterException(commandLine, "--settings " + file + ": must hold a JSON object of settings, "
                    + "e.g. {\"pSamples\": 2}");
        }
        return new SettingsFile(commandLine, file, object);
    }

    /** These settings with every field of {@code base} that the file leaves out (a preset under the file). */
    SettingsFile over(DlnSettings base) {
        ObjectNode merged = MAPPER.valueToTree(base);
        merged.setAll(node);
        return new SettingsFile(commandLine, file, merged);
    }

    /** An option with a default value: given on the command line it wins; not given, it fills only what the file leaves out. */
    void option(String optionName, String field, Object value) {
        if (commandLine.getParseResult().hasMatchedOption(optionName) || !node.has(field)) node.set(field, MAPPER.valueToTree(value));
    }

    /** An option without a default value: null when not given. */
    void given(String field, Object value) {
        if (value != null) node.set(field, MAPPER.valueToTree(value));
    }

    /** Sets a field, e.g. of --set KEY=VALUE. */
    void set(String field, JsonNode value) {
        node.set(field, value);
    }

    /** The settings as they will be sent: only the fields the file or the command line gave. */
    ObjectNode node() {
        return node;
    }

    /** The settings with every field not given at its default, checked. */
    DlnSettings settings() {
        DlnSettings settings;
        try {
            settings = MAPPER.treeToValue(node, DlnSettings.class);
        } catch (UnrecognizedPropertyException e) {
            throw invalid("unknown setting '" + e.getPropertyName() + "'; the settings are " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw invalid(field + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw invalid(e.getOriginalMessage());
        }
        List<String> problems = settings.problems();
        if (!problems.isEmpty()) throw invalid(String.join("; ", problems));
        return settings;
    }

    private CommandLine.ParameterException invalid(String problem) {
        return new CommandLine.ParameterException(commandLine, "invalid settings" + (file == null ? "" : " (--settings " + file + ")")
                + ": " + problem);
    }
}
