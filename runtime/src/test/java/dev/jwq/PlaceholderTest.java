package dev.jwq;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.*;
class PlaceholderTest { @Test void runsOnJdk25() { assertEquals(25, Runtime.version().feature()); boolean ea=false; assert ea=true; assertTrue(ea);} }
