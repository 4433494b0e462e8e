import { AppError } from "@mirrordeck/contracts";
import { createWebhook, listWebhooks } from "@mirrordeck/db";
import { toWebhookView } from "@/lib/server/alerts/alert-views.ts";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { secretBox } from "@/lib/server/secret-box.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("webhooks.list", async () => {
  return Response.json({ items: (await listWebhooks(database())).map(toWebhookView) });
});

export const POST = defineRoute("webhooks.create", async ({ body, audit }) => {
  const db = database();
  if ((await listWebhooks(db)).some((w) => w.name === body.name)) {
    throw new AppError("CONFLICT", `A webhook is already called ${body.name}.`, { name: body.name });
  }
  const webhook = await createWebhook(db, body, secretBox());
  audit.targetId = webhook.id;
  audit.details = { name: webhook.name, origin: webhook.origin, format: webhook.format };
  return Response.json(toWebhookView(webhook), { status: 201 });
});
