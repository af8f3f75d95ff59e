package io.dln.tmp; @jakarta.ws.rs.Path("/x") public class X { @jakarta.ws.rs.GET public String x() { return "x"; } }
