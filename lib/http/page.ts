// How pages turn domain errors into responses: a record the actor may not see answers exactly like a
// missing one (404), so pages never reveal what exists.
import { notFound } from "next/navigation";
import { AppError } from "../errors.ts";

export async function loadOr404<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError && (error.status === 404 || error.status === 403)) notFound();
    throw error;
  }
}
