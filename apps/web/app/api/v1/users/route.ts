import { AppError } from "@mirrordeck/contracts";
import { createUser, findUserByEmail, listUsers } from "@mirrordeck/db";
import { hashPassword } from "@mirrordeck/security";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { toUserView } from "@/lib/server/user-view.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("users.list", async () =>
  Response.json({ items: (await listUsers(database())).map(toUserView) }),
);

export const POST = defineRoute("users.create", async ({ body, audit }) => {
  if ((await findUserByEmail(database(), body.email)) !== null) {
    throw new AppError("CONFLICT", `A user with e-mail ${body.email} exists already.`);
  }
  const user = await createUser(database(), {
    email: body.email,
    role: body.role,
    passwordHash: await hashPassword(body.password),
  });
  audit.targetId = user.id;
  audit.details = { email: user.email, role: user.role };
  return Response.json(toUserView(user), { status: 201 });
});
