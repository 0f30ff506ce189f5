import { z } from "zod";

export const SignInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
});

export type SignIn = z.infer<typeof SignInSchema>;
