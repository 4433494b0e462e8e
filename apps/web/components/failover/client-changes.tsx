import type { ClientChanges } from "@mirrordeck/contracts";
import { CopyButton } from "./copy-button.tsx";

/** What applications change to use the target: bootstrap servers, topic names, a config per group. */
export function ClientChangesView({ changes }: { changes: ClientChanges }) {
  return (
    <div data-testid="client-changes">
      <dl className="facts">
        <dt>Bootstrap servers</dt>
        <dd data-testid="client-bootstrap">
          <code>{changes.bootstrapServers.from}</code> → <code>{changes.bootstrapServers.to}</code>
        </dd>
      </dl>
      {changes.topics.length > 0 ? (
        <table className="data fo-table" aria-label="Topic names on the target">
          <thead>
            <tr>
              <th scope="col">Topic on the source</th>
              <th scope="col">Topic to read on the target</th>
            </tr>
          </thead>
          <tbody>
            {changes.topics.map((t) => (
              <tr key={t.from} data-testid={`client-topic-${t.from}`}>
                <td>
                  <code>{t.from}</code>
                </td>
                <td>
                  <code data-testid="client-topic-to">{t.to}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {changes.groups.map((g) => (
        <figure key={g.group} className="fo-snippet">
          <figcaption>
            Consumer config for <strong>{g.group}</strong>{" "}
            <CopyButton text={g.snippet} label={`Copy the consumer config for ${g.group}`} />
          </figcaption>
          <pre data-testid={`client-snippet-${g.group}`}>{g.snippet}</pre>
        </figure>
      ))}
    </div>
  );
}
