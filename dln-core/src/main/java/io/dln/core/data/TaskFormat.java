package io.dln.core.data;

/** How a task's data is stored. */
public enum TaskFormat {
    /** BIG-Bench Hard: one JSON file {"examples": [{"input", "target"}]}; split by seed. */
    BBH,
    /** Fantastically Ordered Prompts: a folder of train.jsonl, dev_subsample.jsonl, test.jsonl
     *  with lines {"sentence", "label"} and integer-coded labels. */
    ORDERED_PROMPT,
    /** Leopard: one JSON list [{"sentence1", "label"}] sampled into splits by seed. */
    LEOPARD,
    /** Lines {"input", "target"}: one file split by seed, or a folder of train/dev/test.jsonl. */
    JSON_LINES
}
