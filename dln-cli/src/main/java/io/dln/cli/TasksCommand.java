package io.dln.cli;

import io.dln.core.data.TaskCatalog;
import io.dln.core.data.TaskSpec;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "tasks", description = "List the tasks 'dln train' knows: generated ones and those read from the data directory.")
final class TasksCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("Generated tasks (no download needed; the LLM simulator knows them):");
        for (TaskFamily family : TaskWorld.standard().families()) {
            System.out.printf("  %-34s %s%n", "generated:" + family.name(), family.description());
        }
        System.out.println("Tasks read from the data directory (--data-dir):");
        for (TaskSpec task : TaskCatalog.builtIn().tasks()) {
            System.out.printf("  %-34s %s%n", task.name(), task.format().name().toLowerCase().replace('_', ' '));
        }
        return ExitCodes.OK;
    }
}
