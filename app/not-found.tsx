import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">There is nothing at this address.</p>
      <p className="mt-6">
        <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
          Go to your start page
        </Link>
      </p>
    </main>
  );
}
