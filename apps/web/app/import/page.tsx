import type { Metadata } from "next";
import { ImportExportPage } from "@/components/import-export/import-export-page.tsx";

export const metadata: Metadata = { title: "Import / export · MirrorDeck" };

export default function Page() {
  return <ImportExportPage />;
}
