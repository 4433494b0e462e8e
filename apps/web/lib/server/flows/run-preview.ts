import type { FlowDefinition } from "@mirrordeck/contracts";
import { listGroupSummaries, listTopicSummaries } from "@mirrordeck/kafka";
import { clusterConnection, requireCluster } from "../clusters/cluster-mapping.ts";
import { serverEnv } from "../env.ts";
import { type FlowPreview, previewSelection } from "./flow-preview.ts";

/** Reads the source's topics and groups now and applies the flow's selection rules to them. */
export async function runPreview(
  flow: Parameters<typeof previewSelection>[0],
): Promise<FlowPreview & { sourceAlias: string; targetAlias: string }> {
  const source = clusterConnection(await requireCluster(flow.sourceAlias));
  const timeoutMs = serverEnv().KAFKA_ADMIN_TIMEOUT_MS * 2;
  const [topics, groups] = await Promise.all([
    listTopicSummaries(source, timeoutMs),
    listGroupSummaries(source, timeoutMs).catch(() => []),
  ]);
  return {
    sourceAlias: flow.sourceAlias,
    targetAlias: flow.targetAlias,
    ...previewSelection(flow, topics, groups),
  };
}

export type PreviewInput = Pick<FlowDefinition, "sourceAlias"> & Parameters<typeof previewSelection>[0];
