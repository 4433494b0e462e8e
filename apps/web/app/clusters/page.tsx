import type { Metadata } from "next";
import { ClustersPage } from "@/components/clusters/clusters-page.tsx";

export const metadata: Metadata = { title: "Clusters · MirrorDeck" };

export default function Page() {
  return <ClustersPage />;
}
