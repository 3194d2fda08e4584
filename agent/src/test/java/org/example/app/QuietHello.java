package org.example.app;

/** A program with no executor: nothing in it for the agent to rewrite, so its class can come from a CDS archive. */
public final class QuietHello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
