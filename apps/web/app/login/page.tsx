import { LoginForm } from "@/components/login-form.tsx";

export const metadata = { title: "Sign in · MirrorDeck" };

export default function LoginPage() {
  return (
    <section className="login">
      <h1>Sign in</h1>
      <LoginForm />
    </section>
  );
}
