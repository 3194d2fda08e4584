package dev.jwq; public final class Placeholder {}
