/** The Javalin 7 adapter: {@link dev.jot.guard.javalin.JotGuardPlugin}. Needs Javalin 7 on the classpath. */
package dev.jot.guard.javalin;
