package io.dln.gateway.datasets;

import io.dln.core.lm.OutputClasses;

/** What an upload says about its data set besides the examples. */
record UploadSpec(String name, UploadFormat format, String instruction, OutputClasses outputClasses, String loss, long seed) {
}
