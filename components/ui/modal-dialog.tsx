"use client";

// The one modal dialog: focus is trapped and returned, Escape closes, the title names it for
// screen readers (Radix Dialog underneath).
import * as Dialog from "@radix-ui/react-dialog";
import { useState, type ReactNode } from "react";
import { Button } from "./button";

/**
 * Our dialogs open without a Radix trigger (they are mounted when needed), so Radix has nothing to give
 * focus back to when they close. This remembers what had focus when the dialog first rendered (the
 * button that opened it) and answers the `onCloseAutoFocus` handler that returns focus there.
 */
export function useReturnFocus(): (event: Event) => void {
  const [opener] = useState(() =>
    typeof document === "undefined" ? null : (document.activeElement as HTMLElement | null),
  );
  return (event) => {
    if (opener?.isConnected && opener !== document.body) {
      event.preventDefault();
      opener.focus();
    }
  };
}

const SIZES = {
  md: "top-8 max-h-[calc(100vh-4rem)] max-w-lg overflow-y-auto",
  lg: "top-8 max-h-[calc(100vh-4rem)] max-w-3xl overflow-y-auto",
  tall: "top-4 bottom-4 flex max-w-3xl flex-col",
} as const;

export function ModalDialog({
  title,
  description,
  onClose,
  children,
  size = "md",
}: {
  title: string;
  description?: string;
  onClose: () => void;
  children: ReactNode;
  /** "tall" fills the window's height and leaves padding and scrolling to the children (an editor
   * with a scrolling body and a footer that stays in view). */
  size?: "md" | "lg" | "tall";
}) {
  const returnFocus = useReturnFocus();
  return (
    <Dialog.Root open onOpenChange={(open) => (open ? null : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/50" />
        <Dialog.Content
          onCloseAutoFocus={returnFocus}
          className={`fixed inset-x-2 z-50 mx-auto rounded-lg border border-slate-200 bg-white shadow-xl sm:inset-x-4 dark:border-slate-700 dark:bg-slate-900 ${SIZES[size]}`}
        >
          <div className="flex items-start justify-between border-b border-slate-200 px-5 py-3 dark:border-slate-800">
            <div>
              <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
              {description ? (
                <Dialog.Description className="text-sm text-slate-600 dark:text-slate-400">
                  {description}
                </Dialog.Description>
              ) : (
                <Dialog.Description className="sr-only">{title}</Dialog.Description>
              )}
            </div>
            <Dialog.Close asChild>
              <Button variant="ghost" aria-label="Close">
                ✕
              </Button>
            </Dialog.Close>
          </div>
          {size === "tall" ? children : <div className="px-5 py-4">{children}</div>}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export function FormMessage({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {message}
    </p>
  );
}

// Kept here too for the callers that import it with the dialog; it lives with the fields.
export { inputClass } from "./field";
