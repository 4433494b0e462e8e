import { exportMm2Properties } from "@mirrordeck/mm2-interchange";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { currentTopology } from "@/lib/server/mm2-topology.ts";

export const dynamic = "force-dynamic";

/** The topology as mm2.properties; SASL passwords are ${env:…} placeholders, never values. */
export const GET = defineRoute("export.mm2", async () => {
  const text = exportMm2Properties(await currentTopology());
  return new Response(text, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": 'attachment; filename="mm2.properties"',
    },
  });
});
