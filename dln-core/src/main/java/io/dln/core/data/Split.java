package io.dln.core.data;

public enum Split {
    TRAIN, DEV, TEST
}
