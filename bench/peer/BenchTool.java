// The benchmark's record generator and checker, on Kafka's own Java client (fast and neutral: it is
// neither of the two tools being measured). Run with the JDK's source launcher:
//   java -cp 'libs/*' bench/peer/BenchTool.java <command> key=value...
//
// produce  bootstrap= topics=a,b (records spread evenly) records= valueBytes= compression=none|gzip|...
//          rate=0 (records/s, 0 = as fast as possible) — keyed records, two headers each:
//          bench-sent-at (8-byte big-endian epoch ms, for latency) and bench-seq (8-byte sequence).
//          Prints one JSON line: {"records":N,"seconds":S}.
// digest   bootstrap= topics=a,b timestamps=true|false isolation=read_uncommitted|read_committed —
//          reads every partition from its start to its end offset and prints
//          {"partitions":{"topic/p":{"count":N,"crc":C}}}: an order-sensitive CRC32C over key,
//          value, header names and values (and timestamp if asked).
// committed source= target= topics=a,b (source topics) prefix=east. timeoutMs= — waits until the
//          last record of every source partition is the last committed record of its remote
//          partition (read_committed, so transaction markers and aborted records do not count),
//          which in-order copies make the moment the copy is complete. Prints {"ready":true} once
//          the source's last records are known, {"t":<epoch ms>,"written":N} each round (offsets
//          written to the remote partitions, committed or not), then {"doneAt":<epoch ms>}. Reads only partition
//          tails, every 50 ms, so it costs the tools it times next to nothing.
// latency  bootstrap= topics=a,b since=<epoch ms> — reads the topics (whose timestamps are the
//          broker's LogAppendTime) and prints percentiles of (append time - bench-sent-at) over the
//          records sent at or after `since`: {"count":N,"p50":..,"p99":..,"p999":..,"max":..}.
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class BenchTool {
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      opts.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    switch (args[0]) {
      case "produce" -> produce(opts);
      case "digest" -> digest(opts);
      case "latency" -> latency(opts);
      case "committed" -> committed(opts);
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  static List<String> topics(Map<String, String> opts) {
    return Arrays.asList(opts.get("topics").split(","));
  }

  static void produce(Map<String, String> opts) throws Exception {
    List<String> topics = topics(opts);
    long records = Long.parseLong(opts.get("records"));
    int valueBytes = Integer.parseInt(opts.getOrDefault("valueBytes", "1024"));
    double rate = Double.parseDouble(opts.getOrDefault("rate", "0"));
    Properties props = new Properties();
    props.put("bootstrap.servers", opts.get("bootstrap"));
    props.put("acks", "all");
    props.put("compression.type", opts.getOrDefault("compression", "none"));
    props.put("linger.ms", rate > 0 ? "1" : "20");
    props.put("batch.size", "262144");
    props.put("buffer.memory", "134217728");
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    // Random printable values (a pool, so generation costs nothing): compressible like text is.
    Random random = new Random(42);
    byte[][] pool = new byte[1024][];
    byte[] alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 ".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < pool.length; i++) {
      pool[i] = new byte[valueBytes];
      for (int j = 0; j < valueBytes; j++) pool[i][j] = alphabet[random.nextInt(alphabet.length)];
    }
    AtomicReference<Exception> failure = new AtomicReference<>();
    long started = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (long i = 0; i < records; i++) {
        if (rate > 0) {
          long due = started + (long) (i * 1000 / rate);
          long wait = due - System.currentTimeMillis();
          if (wait > 0) Thread.sleep(wait);
        }
        String topic = topics.get((int) (i % topics.size()));
        byte[] key = ("key-" + i).getBytes(StandardCharsets.US_ASCII);
        List<Header> headers = List.of(
            new RecordHeader("bench-sent-at", ByteBuffer.allocate(8).putLong(System.currentTimeMillis()).array()),
            new RecordHeader("bench-seq", ByteBuffer.allocate(8).putLong(i).array()));
        producer.send(new ProducerRecord<>(topic, null, null, key, pool[(int) (i % pool.length)], headers),
            (metadata, error) -> { if (error != null) failure.compareAndSet(null, error); });
        if (failure.get() != null) throw failure.get();
      }
      producer.flush();
    }
    if (failure.get() != null) throw failure.get();
    double seconds = (System.currentTimeMillis() - started) / 1000.0;
    System.out.println("{\"records\":" + records + ",\"seconds\":" + seconds + "}");
  }

  static final String READ_UNCOMMITTED = "read_uncommitted";
  static final String READ_COMMITTED = "read_committed";
  /** Whole batches per partition fetch when reading a log through. */
  static final int SCAN_FETCH_BYTES = 4 * 1024 * 1024;
  /** The completion watcher reads only partitions' tails, often: small fetches. */
  static final int TAIL_FETCH_BYTES = 64 * 1024;

  /** The consumer the `bootstrap` and `isolation` options describe, for reading logs through. */
  static KafkaConsumer<byte[], byte[]> consumer(Map<String, String> opts) {
    return consumer(opts.get("bootstrap"), opts.getOrDefault("isolation", READ_UNCOMMITTED), SCAN_FETCH_BYTES);
  }

  /** A byte-array consumer without a group (partitions are assigned, nothing is committed). */
  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String isolation, int partitionFetchBytes) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("enable.auto.commit", "false");
    props.put("max.poll.records", "5000");
    props.put("fetch.max.bytes", "52428800");
    props.put("max.partition.fetch.bytes", Integer.toString(partitionFetchBytes));
    props.put("isolation.level", isolation);
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  /** Calls `each` for every record of the topics, from each partition's start to its end offset. */
  static void readAll(Map<String, String> opts, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(opts)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics(opts)) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
      ends.entrySet().removeIf(e -> e.getValue() == 0L);
      Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
      ends.entrySet().removeIf(e -> starts.get(e.getKey()) >= e.getValue());
      while (!ends.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(java.time.Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          Long end = ends.get(tp);
          if (end == null || r.offset() >= end) continue;
          each.accept(r);
          if (r.offset() + 1 >= end) ends.remove(tp);
        }
        // Transaction markers at the end never come back as records: compare positions too.
        ends.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
    }
  }

  static void digest(Map<String, String> opts) {
    boolean timestamps = Boolean.parseBoolean(opts.getOrDefault("timestamps", "true"));
    Map<String, CRC32C> crcs = new TreeMap<>();
    Map<String, Long> counts = new HashMap<>();
    ByteBuffer longs = ByteBuffer.allocate(8);
    readAll(opts, r -> {
      String key = r.topic() + "/" + r.partition();
      CRC32C crc = crcs.computeIfAbsent(key, k -> new CRC32C());
      counts.merge(key, 1L, Long::sum);
      if (r.key() != null) crc.update(r.key());
      crc.update(0);
      if (r.value() != null) crc.update(r.value());
      crc.update(0);
      for (Header h : r.headers()) {
        crc.update(h.key().getBytes(StandardCharsets.UTF_8));
        if (h.value() != null) crc.update(h.value());
        crc.update(0);
      }
      if (timestamps) {
        longs.clear();
        crc.update(longs.putLong(r.timestamp()).array());
      }
    });
    StringBuilder out = new StringBuilder("{\"partitions\":{");
    String sep = "";
    for (Map.Entry<String, CRC32C> e : crcs.entrySet()) {
      out.append(sep).append('"').append(e.getKey()).append("\":{\"count\":").append(counts.get(e.getKey()))
          .append(",\"crc\":").append(e.getValue().getValue()).append('}');
      sep = ",";
    }
    System.out.println(out.append("}}"));
  }

  static void latency(Map<String, String> opts) {
    long since = Long.parseLong(opts.getOrDefault("since", "0"));
    List<Long> latencies = new ArrayList<>();
    readAll(opts, r -> {
      Header sent = r.headers().lastHeader("bench-sent-at");
      if (sent == null) return;
      long sentAt = ByteBuffer.wrap(sent.value()).getLong();
      if (sentAt >= since) latencies.add(r.timestamp() - sentAt);
    });
    Collections.sort(latencies);
    int n = latencies.size();
    if (n == 0) {
      System.out.println("{\"count\":0}");
      return;
    }
    System.out.println("{\"count\":" + n + ",\"p50\":" + at(latencies, 0.5) + ",\"p99\":" + at(latencies, 0.99)
        + ",\"p999\":" + at(latencies, 0.999) + ",\"max\":" + latencies.get(n - 1) + "}");
  }

  static void committed(Map<String, String> opts) throws Exception {
    String prefix = opts.getOrDefault("prefix", "east.");
    long deadline = System.currentTimeMillis() + Long.parseLong(opts.getOrDefault("timeoutMs", "900000"));
    // The key of each source partition's last record (bench keys are unique per record).
    Map<TopicPartition, byte[]> expected = new HashMap<>();
    // Its record count: a remote partition holds at least that many offsets once complete
    // (markers and aborted records only add), so its tail is read only from then on.
    Map<TopicPartition, Long> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> source = consumer(opts.get("source"), READ_UNCOMMITTED, SCAN_FETCH_BYTES)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics(opts)) {
        for (var p : source.partitionsFor(topic)) partitions.add(new TopicPartition(topic, p.partition()));
      }
      Map<TopicPartition, Long> ends = new HashMap<>(source.endOffsets(partitions));
      Map<TopicPartition, Long> starts = source.beginningOffsets(partitions);
      ends.entrySet().removeIf(e -> e.getValue() <= starts.get(e.getKey()));
      for (var e : lastRecordsBefore(source, ends).entrySet()) {
        TopicPartition tp = e.getKey();
        if (e.getValue() == null) throw new IllegalStateException(tp + ": no record before its end");
        TopicPartition remote = new TopicPartition(prefix + tp.topic(), tp.partition());
        expected.put(remote, e.getValue().key());
        counts.put(remote, ends.get(tp) - starts.get(tp));
      }
    }
    System.out.println("{\"ready\":true}");
    System.out.flush();
    try (KafkaConsumer<byte[], byte[]> target = consumer(opts.get("target"), READ_COMMITTED, TAIL_FETCH_BYTES);
        KafkaConsumer<byte[], byte[]> written = consumer(opts.get("target"), READ_UNCOMMITTED, TAIL_FETCH_BYTES)) {
      Set<TopicPartition> pending = new HashSet<>(expected.keySet());
      Map<TopicPartition, Long> checkedAt = new HashMap<>();
      Set<String> seen = new HashSet<>();
      while (!pending.isEmpty()) {
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("not complete: " + pending);
        long round = System.currentTimeMillis();
        Set<String> wanted = new HashSet<>();
        for (TopicPartition tp : pending) wanted.add(tp.topic());
        if (!seen.containsAll(wanted)) {
          for (var e : target.listTopics(java.time.Duration.ofSeconds(5)).entrySet()) {
            if (wanted.contains(e.getKey()) && !e.getValue().isEmpty()) seen.add(e.getKey());
          }
        }
        List<TopicPartition> known = new ArrayList<>();
        for (TopicPartition tp : pending) if (seen.contains(tp.topic())) known.add(tp);
        // Progress: offsets written (high watermarks), committed or not, markers included.
        List<TopicPartition> existing = new ArrayList<>();
        for (TopicPartition tp : expected.keySet()) if (seen.contains(tp.topic())) existing.add(tp);
        long sum = 0;
        if (!existing.isEmpty()) for (long v : written.endOffsets(existing).values()) sum += v;
        System.out.println("{\"t\":" + round + ",\"written\":" + sum + "}");
        // A read_committed consumer's end offsets are the last stable offsets.
        Map<TopicPartition, Long> stable = known.isEmpty() ? Map.of() : target.endOffsets(known);
        Map<TopicPartition, Long> toCheck = new HashMap<>();
        for (TopicPartition tp : known) {
          long lso = stable.getOrDefault(tp, 0L);
          if (lso >= counts.get(tp) && !Objects.equals(checkedAt.get(tp), lso)) toCheck.put(tp, lso);
        }
        checkedAt.putAll(toCheck);
        for (var e : lastRecordsBefore(target, toCheck).entrySet()) {
          if (e.getValue() != null && Arrays.equals(e.getValue().key(), expected.get(e.getKey()))) {
            pending.remove(e.getKey());
          }
        }
        if (pending.isEmpty()) {
          System.out.println("{\"doneAt\":" + System.currentTimeMillis() + "}");
          return;
        }
        long wait = 50 - (System.currentTimeMillis() - round);
        if (wait > 0) Thread.sleep(wait);
      }
    }
  }

  /**
   * Each partition's last record the consumer can read before its end offset (null if none), all
   * partitions read together: a growing tail, as the last offsets may be transaction markers or
   * aborted records.
   */
  static Map<TopicPartition, ConsumerRecord<byte[], byte[]>> lastRecordsBefore(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    Map<TopicPartition, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
    if (ends.isEmpty()) return found;
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(ends.keySet());
    Map<TopicPartition, Long> todo = new HashMap<>(ends);
    for (long window = 16; !todo.isEmpty(); window *= 8) {
      consumer.assign(todo.keySet());
      Map<TopicPartition, Long> from = new HashMap<>();
      for (var e : todo.entrySet()) {
        long f = Math.max(starts.get(e.getKey()), e.getValue() - window);
        from.put(e.getKey(), f);
        consumer.seek(e.getKey(), f);
      }
      Set<TopicPartition> reading = new HashSet<>(todo.keySet());
      long giveUp = System.currentTimeMillis() + 30_000;
      while (!reading.isEmpty() && System.currentTimeMillis() < giveUp) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(java.time.Duration.ofMillis(100))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() < todo.get(tp)) found.put(tp, r);
        }
        reading.removeIf(tp -> consumer.position(tp) >= todo.get(tp));
      }
      // Done: a record found, or nothing before the end however far back.
      todo.keySet().removeIf(tp -> found.containsKey(tp) || from.get(tp).equals(starts.get(tp)));
    }
    return found;
  }

  static long at(List<Long> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }
}
