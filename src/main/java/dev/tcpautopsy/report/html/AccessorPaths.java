package dev.tcpautopsy.report.html;

import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.standard.expression.IStandardVariableExpression;
import org.thymeleaf.standard.expression.IStandardVariableExpressionEvaluator;
import org.thymeleaf.standard.expression.StandardExpressionExecutionContext;
import org.thymeleaf.standard.expression.StandardExpressions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Evaluates the template's plainest expressions, a variable alone or followed by accessor calls
 * ({@code ${several}}, {@code ${r.cls()}}, {@code ${report.settings().merged()}}), by calling the
 * accessors directly; everything else goes to the evaluator it wraps (OGNL).
 *
 * <p>Why: such expressions are nearly all of the page (twenty a table row, a thousand rows), and
 * OGNL spends most of its time on a call checking the method against its access rules and finding
 * it by reflection again, most of the page's time in the template engine
 * (bench/results/design-choices.md). The methods called here are public accessors of the page's own view records and of the
 * model, the only things the template reaches.
 *
 * <p>What OGNL would do otherwise is kept: a variable that is null or missing, a call on null, or a
 * method that cannot be called directly goes to OGNL, which answers or reports it as before; the
 * result is converted to a String by the engine's conversion service when the caller asks so.
 */
final class AccessorPaths implements IStandardVariableExpressionEvaluator {
    private static final Pattern SIMPLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*\\(\\))*");
    /** Words that OGNL reads as literals or operators, never as a variable. */
    private static final Set<String> KEYWORDS = Set.of("null", "true", "false", "this", "not", "and", "or", "in",
            "instanceof", "new", "shl", "shr", "ushr", "band", "bor", "xor", "eq", "neq", "lt", "gt", "lte", "gte");
    /** Parsed expressions: the variable, then the accessor names; {@link #NOT_SIMPLE} for the others. */
    private static final String[] NOT_SIMPLE = new String[0];
    private static final Method NO_METHOD;

    static {
        try {
            NO_METHOD = Object.class.getMethod("hashCode");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IStandardVariableExpressionEvaluator fallback;
    private final Map<String, String[]> parsed = new ConcurrentHashMap<>();
    private final ClassValue<Map<String, Method>> accessors = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    AccessorPaths(IStandardVariableExpressionEvaluator fallback) {
        this.fallback = fallback;
    }

    @Override
    public Object evaluate(IExpressionContext context, IStandardVariableExpression expression,
                           StandardExpressionExecutionContext expContext) {
        String[] path = expression.getUseSelectionAsRoot() || !(context instanceof ITemplateContext)
                ? NOT_SIMPLE : parsed.computeIfAbsent(expression.getExpression(), AccessorPaths::parse);
        if (path == NOT_SIMPLE || path.length == 1 && !context.containsVariable(path[0])) {
            // a variable that is not there: OGNL's answer, whatever it is
            return fallback.evaluate(context, expression, expContext);
        }
        Object v = context.getVariable(path[0]);
        for (int i = 1; i < path.length; i++) {
            if (v == null) {
                // a call on null: OGNL says what it says about it
                return fallback.evaluate(context, expression, expContext);
            }
            Class<?> type = v.getClass();
            Method m = accessors.get(type).computeIfAbsent(path[i], name -> accessor(name, type));
            if (m == NO_METHOD) {
                return fallback.evaluate(context, expression, expContext);
            }
            try {
                v = m.invoke(v);
            } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                return fallback.evaluate(context, expression, expContext);
            }
        }
        return expContext.getPerformTypeConversion()
                ? StandardExpressions.getConversionService(context.getConfiguration()).convert(context, v, String.class)
                : v;
    }

    static String[] parse(String expression) {
        String e = expression.strip();
        if (!SIMPLE.matcher(e).matches()) {
            return NOT_SIMPLE;
        }
        String[] parts = e.split("\\.");
        if (KEYWORDS.contains(parts[0])) {
            return NOT_SIMPLE;
        }
        for (int i = 1; i < parts.length; i++) {
            parts[i] = parts[i].substring(0, parts[i].length() - 2);
        }
        return parts;
    }

    /**
     * The public no-argument method {@code name} of {@code type}, found where it can be called from
     * here: on a public type that declares it (a List's {@code size()} through {@code List}, not the
     * JDK's hidden implementation), or on a class of this package.
     */
    private static Method accessor(String name, Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            Method m = declared(t, name);
            if (m != null) {
                return m;
            }
            for (Class<?> i : t.getInterfaces()) {
                m = declared(i, name);
                if (m != null) {
                    return m;
                }
            }
        }
        return NO_METHOD;
    }

    private static Method declared(Class<?> t, String name) {
        if (!reachable(t)) {
            return null;
        }
        try {
            Method m = t.getMethod(name);
            return m.getReturnType() != void.class && reachable(m.getDeclaringClass()) ? m : null;
        } catch (NoSuchMethodException | SecurityException e) {
            return null;
        }
    }

    /** A public class of an exported package, or any class of this package. */
    private static boolean reachable(Class<?> type) {
        if (type.getPackage() == AccessorPaths.class.getPackage()) {
            return true;
        }
        return Modifier.isPublic(type.getModifiers()) && type.getModule().isExported(type.getPackageName());
    }
}
