import { useEffect, useRef, type ReactNode } from 'react';

export interface ModalProps {
  /** 'alertdialog' for risks the clinician must acknowledge; 'dialog' for plain confirmations. */
  role: 'dialog' | 'alertdialog';
  title: string;
  /** id prefix for the labelled-by / described-by attributes. */
  id: string;
  children: ReactNode;
  /** Escape (and the dialog's cancel) does this: always the safe choice. */
  onCancel(): void;
  testId?: string;
}

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/**
 * A blocking modal on the native <dialog> (showModal makes the rest of the page inert). Focus starts on the
 * element marked data-autofocus (the safe default), Tab cycles inside the dialog, Escape cancels.
 */
export function Modal({ role, title, id, children, onCancel, testId }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const restoreFocus = useRef<Element | null>(null);
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    restoreFocus.current = document.activeElement;
    if (!dialog.open) dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    const onCancelEvent = (e: Event) => {
      e.preventDefault(); // keep the dialog under React's control
      cancelRef.current();
    };
    dialog.addEventListener('cancel', onCancelEvent);
    return () => {
      dialog.removeEventListener('cancel', onCancelEvent);
      if (dialog.open) dialog.close();
      if (restoreFocus.current instanceof HTMLElement) restoreFocus.current.focus();
    };
  }, []);

  function onKeyDown(e: React.KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (!items.length) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      role={role}
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      className={`modal modal-${role}`}
      data-testid={testId}
      onKeyDown={onKeyDown}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`}>{children}</div>
    </dialog>
  );
}

export interface ConfirmDialogProps {
  id: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** A confirmation whose default (focused) choice is to cancel. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Modal
      role={props.danger ? 'alertdialog' : 'dialog'}
      id={props.id}
      title={props.title}
      onCancel={props.onCancel}
      testId={props.id}
    >
      <div className="modal-message">{props.message}</div>
      <div className="modal-actions">
        <button type="button" data-autofocus onClick={props.onCancel}>
          {props.cancelLabel ?? 'Cancel'}
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : 'primary'}
          disabled={props.busy}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
