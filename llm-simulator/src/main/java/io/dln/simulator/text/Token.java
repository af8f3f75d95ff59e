package io.dln.simulator.text;

/** A piece of text and where it starts in the text it was cut from. */
public record Token(String text, int offset) {

    public int end() {
        return offset + text.length();
    }
}
