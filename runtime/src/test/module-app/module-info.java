/** The application of {@code ModulePathIT}: uses jwq as a named module, as a user's module would. */
module jwq.app {
    requires dev.jwq;
    requires java.management; // reads jwq's MXBeans through the platform MBean server
    requires jdk.jfr;         // records jwq's events and reads them back
}
