package dev.apikey.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.TypeVariable;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What code names exist, for {@link DocNames}: every class on this test's class path (our modules, their
 * dependencies and the JDK), found by simple name and read by reflection, and every Java source file of the
 * repository (test classes, the example and the benchmarks are not on this class path), read as text.
 */
final class CodeIndex {

    private final Map<String, Set<String>> classesBySimpleName = new HashMap<>();
    private final Map<String, List<Path>> sourcesBySimpleName = new HashMap<>();

    private CodeIndex() {
    }

    /** Indexes the class path of this JVM and the Java sources under {@code root}. */
    static CodeIndex of(Path root) {
        CodeIndex index = new CodeIndex();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            index.addClassPathEntry(Path.of(entry));
        }
        index.addJdk();
        try (Stream<Path> files = Files.walk(root, 16)) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.toString().contains(java.io.File.separator + "target" + java.io.File.separator))
                    .forEach(p -> index.sourcesBySimpleName.computeIfAbsent(
                            p.getFileName().toString().replace(".java", ""), k -> new ArrayList<>()).add(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return index;
    }

    /** {@return whether a class or source file of this simple name (or {@code Outer.Inner}) exists} */
    boolean knows(String name) {
        return !classes(name).isEmpty() || sourcesBySimpleName.containsKey(name);
    }

    /** {@return whether some class of this name has the member: a method, field, enum constant or nested type} */
    boolean hasMember(String className, String member) {
        for (Class<?> type : classes(className)) {
            if (hasMember(type, member)) {
                return true;
            }
        }
        Pattern declared = Pattern.compile("\\b" + Pattern.quote(member) + "\\s*[(=;,]|\\b(class|interface|enum|record)\\s+"
                + Pattern.quote(member) + "\\b|^\\s*" + Pattern.quote(member) + "\\b", Pattern.MULTILINE);
        for (Path source : sourcesBySimpleName.getOrDefault(className, List.of())) {
            if (declared.matcher(read(source)).find()) {
                return true;
            }
        }
        return false;
    }

    /** {@return whether some class of this name has a method whose name starts so: a name a page shortened with …} */
    boolean hasMemberStartingWith(String className, String prefix) {
        for (Class<?> type : classes(className)) {
            if (methods(type).stream().anyMatch(m -> m.getName().startsWith(prefix))) {
                return true;
            }
        }
        Pattern declared = Pattern.compile("\\b" + Pattern.quote(prefix) + "\\w*\\s*\\(");
        return sourcesBySimpleName.getOrDefault(className, List.of()).stream()
                .anyMatch(source -> declared.matcher(read(source)).find());
    }

    /**
     * {@return the types a method of this name on these classes returns, when they all agree and are concrete: what a
     * chained call is then looked up on; empty where it cannot be told}
     */
    Set<Class<?>> returnTypes(Set<Class<?>> owners, String method) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (Class<?> owner : owners) {
            for (Method m : methods(owner)) {
                if (m.getName().equals(method)) {
                    if (m.getGenericReturnType() instanceof TypeVariable<?> || m.getReturnType() == Object.class
                            || m.getReturnType().isPrimitive()) {
                        return Set.of();
                    }
                    types.add(m.getReturnType());
                }
            }
        }
        return types;
    }

    /**
     * {@return the names (simple, or {@code Outer.Inner}) of what the static {@code builder} methods of this class
     * return: where a page's bare calls after {@code X.builder()} are looked up}
     */
    Set<String> builderTypes(String owner) {
        Set<String> names = new LinkedHashSet<>();
        for (Class<?> type : classes(owner)) {
            for (Method m : type.getMethods()) {
                if (m.getName().equals("builder") && java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                    Class<?> built = m.getReturnType();
                    Class<?> outer = built.getDeclaringClass();
                    names.add(outer == null ? built.getSimpleName() : outer.getSimpleName() + "." + built.getSimpleName());
                }
            }
        }
        return names;
    }

    /** {@return the loadable classes of this simple name, or of {@code Outer.Inner}} */
    Set<Class<?>> classes(String name) {
        String simple = name.replace('.', '$');
        Set<Class<?>> found = new LinkedHashSet<>();
        for (String fqcn : classesBySimpleName.getOrDefault(simple, Set.of())) {
            try {
                found.add(Class.forName(fqcn, false, CodeIndex.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                // on the index but not loadable here (a missing optional dependency): the name still exists
            }
        }
        return found;
    }

    static boolean hasMember(Class<?> type, String member) {
        for (Method m : methods(type)) {
            if (m.getName().equals(member)) {
                return true;
            }
        }
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(type));
        Set<Class<?>> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (!seen.add(c)) {
                continue;
            }
            try {
                for (Member f : c.getDeclaredFields()) {
                    if (f.getName().equals(member) && !Modifier.isPrivate(f.getModifiers())) {
                        return true;
                    }
                }
                for (Class<?> nested : c.getDeclaredClasses()) {
                    if (nested.getSimpleName().equals(member)) {
                        return true;
                    }
                }
            } catch (LinkageError e) {
                return true; // cannot be read here: do not call it stale
            }
            if (c.getSuperclass() != null) {
                todo.push(c.getSuperclass());
            }
            todo.addAll(List.of(c.getInterfaces()));
        }
        return false;
    }

    private static List<Method> methods(Class<?> type) {
        List<Method> all = new ArrayList<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(type));
        Set<Class<?>> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (!seen.add(c)) {
                continue;
            }
            try {
                all.addAll(List.of(c.getDeclaredMethods()));
            } catch (LinkageError e) {
                continue;
            }
            if (c.getSuperclass() != null) {
                todo.push(c.getSuperclass());
            }
            todo.addAll(List.of(c.getInterfaces()));
        }
        if (type.isInterface()) {
            all.addAll(List.of(Object.class.getMethods()));
        }
        return all;
    }

    private void addClassPathEntry(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    files.map(p -> entry.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                            .forEach(this::addClassFile);
                }
            } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    jar.stream().forEach(e -> addClassFile(e.getName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addJdk() {
        try {
            FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
            try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
                for (Path module : modules.toList()) {
                    try (Stream<Path> files = Files.walk(module)) {
                        files.forEach(p -> addClassFile(module.relativize(p).toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addClassFile(String path) {
        if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.startsWith("META-INF/")) {
            return;
        }
        String fqcn = path.substring(0, path.length() - ".class".length()).replace('/', '.');
        String simple = fqcn.substring(fqcn.lastIndexOf('.') + 1);
        if (simple.matches(".*\\$\\d.*")) {
            return; // anonymous and local classes have no name a page could use
        }
        classesBySimpleName.computeIfAbsent(simple, k -> new HashSet<>()).add(fqcn);
        int dollar = simple.lastIndexOf('$');
        if (dollar >= 0) {
            classesBySimpleName.computeIfAbsent(simple.substring(dollar + 1), k -> new HashSet<>()).add(fqcn);
        }
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
