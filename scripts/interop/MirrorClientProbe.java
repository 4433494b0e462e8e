// Asks Apache Kafka's own MirrorMaker 2 client (connect-mirror-client: MirrorClient,
// RemoteClusterUtils) about a cluster and prints its answer as one JSON line on stdout, so tests can
// compare it with MirrorDeck's. Run with the JDK's source launcher (Java 11+), no build step:
//
//   java -cp '<libs>/*' scripts/interop/MirrorClientProbe.java <bootstrap> [--config k=v]... <command>
//
//   translate <remoteClusterAlias> <group> [timeoutMs]
//       RemoteClusterUtils.translateOffsets(props, alias, group, timeout)
//       -> {"offsets":[{"topic":"east.orders","partition":0,"offset":42}, ...]}  (by topic, partition)
//   topology <alias>...
//       MirrorClient's view of the cluster; replicationHops for each alias given (-1: unreachable)
//       -> {"upstreamClusters":[..],"heartbeatTopics":[..],"checkpointTopics":[..],
//           "replicationHops":{"east":1},"remoteTopics":[..]}  (arrays sorted)
//
// `--config key=value` (repeatable) adds a MirrorClientConfig property, e.g.
// `replication.policy.separator=_` or `replication.policy.class=...IdentityReplicationPolicy`; the
// defaults are those of MM2 (DefaultReplicationPolicy, separator ".").
//
// On failure: one line on stderr, exit 1 (2 for bad arguments). Logging is discarded by slf4j-nop
// (scripts/interop/pom.xml), so stdout carries nothing but the JSON. Needs connect-mirror-client 3.1+
// (ReplicationPolicy.checkpointsTopic).
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.mirror.MirrorClient;
import org.apache.kafka.connect.mirror.RemoteClusterUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

public class MirrorClientProbe {
    private static final String USAGE = "usage: MirrorClientProbe <bootstrap-servers> [--config key=value]... "
        + "(translate <remoteClusterAlias> <group> [timeoutMs] | topology <alias>...)";
    private static final long DEFAULT_TRANSLATE_TIMEOUT_MS = 10_000;

    /** Bad command line: exit 2 with the usage. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** An answer the probe refuses to give, with a message that says why: exit 1. */
    static final class ProbeException extends Exception {
        ProbeException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        int status;
        try {
            String json = run(args);
            System.out.println(json);
            status = 0;
        } catch (UsageException e) {
            System.err.println(e.getMessage() + "; " + USAGE);
            status = 2;
        } catch (Throwable e) {
            System.err.println(describe(e));
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        // Kafka clients may leave non-daemon threads behind (e.g. after a timeout): don't wait for them.
        System.exit(status);
    }

    static String run(String[] args) throws Exception {
        if (args.length < 2) throw new UsageException("missing arguments");
        String bootstrap = args[0];
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        int i = 1;
        while (i < args.length && args[i].equals("--config")) {
            if (i + 1 >= args.length) throw new UsageException("--config needs key=value");
            String setting = args[i + 1];
            int eq = setting.indexOf('=');
            if (eq <= 0) throw new UsageException("--config needs key=value, got " + setting);
            props.put(setting.substring(0, eq), setting.substring(eq + 1));
            i += 2;
        }
        if (i >= args.length) throw new UsageException("missing command");
        String command = args[i];
        List<String> rest = Arrays.asList(args).subList(i + 1, args.length);
        switch (command) {
            case "translate":
                return translate(props, rest);
            case "topology":
                return topology(props, rest);
            default:
                throw new UsageException("unknown command " + command);
        }
    }

    static String translate(Map<String, Object> props, List<String> args) throws Exception {
        if (args.size() < 2 || args.size() > 3) {
            throw new UsageException("translate takes <remoteClusterAlias> <group> [timeoutMs]");
        }
        String alias = args.get(0);
        String group = args.get(1);
        long timeoutMs = DEFAULT_TRANSLATE_TIMEOUT_MS;
        if (args.size() == 3) {
            try {
                timeoutMs = Long.parseLong(args.get(2));
            } catch (NumberFormatException e) {
                timeoutMs = -1;
            }
            if (timeoutMs <= 0) throw new UsageException("timeoutMs must be a positive integer, got " + args.get(2));
        }
        requireCheckpointTopic(props, alias);
        Map<TopicPartition, OffsetAndMetadata> offsets =
            RemoteClusterUtils.translateOffsets(props, alias, group, Duration.ofMillis(timeoutMs));
        List<Map.Entry<TopicPartition, OffsetAndMetadata>> entries = new ArrayList<>(offsets.entrySet());
        entries.sort(Comparator
            .comparing((Map.Entry<TopicPartition, OffsetAndMetadata> e) -> e.getKey().topic())
            .thenComparingInt(e -> e.getKey().partition()));
        StringBuilder json = new StringBuilder("{\"offsets\":[");
        for (int n = 0; n < entries.size(); n++) {
            Map.Entry<TopicPartition, OffsetAndMetadata> entry = entries.get(n);
            if (n > 0) json.append(',');
            json.append("{\"topic\":").append(quote(entry.getKey().topic()))
                .append(",\"partition\":").append(entry.getKey().partition())
                .append(",\"offset\":").append(entry.getValue().offset())
                .append('}');
        }
        return json.append("]}").toString();
    }

    /**
     * translateOffsets assigns partition 0 of the checkpoint topic; when that topic doesn't exist, Kafka's
     * consumer waits default.api.timeout.ms (60 s, not settable through MirrorClientConfig) and throws
     * a TimeoutException. Say so at once instead.
     */
    static void requireCheckpointTopic(Map<String, Object> props, String alias) throws Exception {
        try (MirrorClient client = new MirrorClient(props)) {
            String topic = client.replicationPolicy().checkpointsTopic(alias);
            if (!client.checkpointTopics().contains(topic)) {
                throw new ProbeException("checkpoint topic " + topic + " does not exist on " + props.get("bootstrap.servers")
                    + " (Kafka's RemoteClusterUtils.translateOffsets would wait 60 s for it, then throw a TimeoutException)");
            }
        }
    }

    static String topology(Map<String, Object> props, List<String> aliases) throws Exception {
        try (MirrorClient client = new MirrorClient(props)) {
            StringBuilder json = new StringBuilder("{");
            json.append("\"upstreamClusters\":").append(sortedArray(client.upstreamClusters()));
            json.append(",\"heartbeatTopics\":").append(sortedArray(client.heartbeatTopics()));
            json.append(",\"checkpointTopics\":").append(sortedArray(client.checkpointTopics()));
            json.append(",\"replicationHops\":{");
            boolean first = true;
            for (String alias : new LinkedHashSet<>(aliases)) {
                if (!first) json.append(',');
                first = false;
                json.append(quote(alias)).append(':').append(client.replicationHops(alias));
            }
            json.append('}');
            json.append(",\"remoteTopics\":").append(sortedArray(client.remoteTopics()));
            return json.append('}').toString();
        }
    }

    static String sortedArray(Collection<String> values) {
        StringBuilder json = new StringBuilder("[");
        boolean first = true;
        for (String value : new TreeSet<>(values)) {
            if (!first) json.append(',');
            first = false;
            json.append(quote(value));
        }
        return json.append(']').toString();
    }

    /** A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    // U+2028/U+2029 are valid JSON but break line-oriented readers and some JS parsers.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** The exception and its causes on one line, e.g. "KafkaException: ... <- TimeoutException: ...". */
    static String describe(Throwable error) {
        Set<Throwable> seen = new LinkedHashSet<>();
        StringBuilder line = new StringBuilder();
        for (Throwable e = error; e != null && seen.add(e); e = e.getCause()) {
            // Wrappers that only repeat their cause (ExecutionException, KafkaException(cause), ...).
            if (e.getCause() != null && (e instanceof ExecutionException
                || String.valueOf(e.getMessage()).equals(e.getCause().toString()))) continue;
            if (line.length() > 0) line.append(" <- ");
            line.append(e instanceof ProbeException ? "" : e.getClass().getSimpleName() + ": ");
            line.append(e.getMessage() == null ? "(no message)" : e.getMessage());
        }
        return line.toString().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
