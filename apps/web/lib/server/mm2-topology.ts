import { listClusters, listFlows } from "@mirrordeck/db";
import type { ExistingTopology, ExportTopology } from "@mirrordeck/mm2-interchange";
import { toClusterDetail } from "./clusters/cluster-mapping.ts";
import { database } from "./database.ts";
import { toFlowDetail } from "./flows/flow-mapping.ts";

/** Every cluster and flow, in the shape the mm2.properties importer and exporter take. */
export async function currentTopology(): Promise<ExistingTopology & ExportTopology> {
  const [clusters, flows] = await Promise.all([listClusters(database()), listFlows(database())]);
  return {
    clusters: clusters.map(toClusterDetail),
    flows: flows.map(toFlowDetail),
  };
}
