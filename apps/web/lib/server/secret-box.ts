import { AppError } from "@mirrordeck/contracts";
import { createSecretBox, type SecretBox } from "@mirrordeck/security";
import { serverEnv } from "./env.ts";

let cached: SecretBox | undefined;

/**
 * The box sealing stored secrets (cluster credentials, webhook URLs); without MIRRORDECK_SECRET_KEY
 * none can be stored or used.
 */
export function secretBox(): SecretBox {
  if (cached !== undefined) return cached;
  const key = serverEnv().MIRRORDECK_SECRET_KEY;
  if (key === undefined) {
    throw new AppError(
      "SECRET_KEY_MISSING",
      "Stored secrets (cluster credentials, webhook URLs) need MIRRORDECK_SECRET_KEY (32 bytes, base64: openssl rand -base64 32) in the server's environment.",
    );
  }
  cached = createSecretBox(key);
  return cached;
}
