import type { TopicReadiness } from "@mirrordeck/contracts";
import { ScrollBox } from "./scroll-box.tsx";

const count = (n: number | null) => (n === null ? "missing" : String(n));

/** Each topic and its remote copy: partition counts on both sides and configs that differ. */
export function ReadinessTopics({ topics }: { topics: readonly TopicReadiness[] }) {
  if (topics.length === 0) return null;
  return (
    <ScrollBox label="Topics before failover, scrollable">
      <table className="data fo-table" aria-label="Topics before failover">
        <thead>
          <tr>
            <th scope="col">Topic (source)</th>
            <th scope="col">Remote topic (target)</th>
            <th scope="col">Partitions source / target</th>
            <th scope="col">Config drift</th>
          </tr>
        </thead>
        <tbody>
          {topics.map((t) => {
            const short = t.sourcePartitions !== null && (t.targetPartitions ?? 0) < t.sourcePartitions;
            return (
              <tr key={t.topic} data-testid={`readiness-topic-${t.topic}`}>
                <td>
                  <code>{t.topic}</code>
                </td>
                <td>
                  <code>{t.remoteTopic}</code>
                </td>
                <td className={short ? "fo-bad-text" : undefined}>
                  {count(t.sourcePartitions)} / {count(t.targetPartitions)}
                  {short ? " (target has fewer)" : null}
                </td>
                <td>
                  {t.configDrift.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <ul className="fo-offsets">
                      {t.configDrift.map((d) => (
                        <li key={d.key}>
                          <code>{d.key}</code>: {d.source ?? "unset"} on source, {d.target ?? "unset"} on
                          target
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollBox>
  );
}
