/** The Jakarta Servlet 6 adapter: {@link dev.jot.guard.servlet.JotGuardFilter}. Needs {@code jakarta.servlet-api} 6. */
package dev.jot.guard.servlet;
