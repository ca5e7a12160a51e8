/**
 * Who the session is for and by: the patient ID and the clinician, entered on the Connect screen, checked
 * the same way by the screen (as the clinician types) and by the programmer service (zod, contract.ts),
 * recorded with the session and printed on the refill card. Bounded so a record and a card stay readable.
 */
export const PATIENT_ID_MAX = 32;
export const CLINICIAN_MAX = 64;

/** Why a patient ID is refused, or null. Letters, digits, spaces, '-', '/', '.'; starts with a letter or digit. */
export function patientIdProblem(text: string): string | null {
  const t = text.trim();
  if (t.length === 0) return 'Enter the patient ID.';
  if (t.length > PATIENT_ID_MAX) return `At most ${PATIENT_ID_MAX} characters.`;
  if (!/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/.test(t)) return "Letters, digits, spaces, '-', '/' and '.' only.";
  return null;
}

/** Why a clinician's name is refused, or null. Letters (any script), spaces, '.', ',', '-', apostrophes. */
export function clinicianProblem(text: string): string | null {
  const t = text.trim();
  if (t.length < 2) return "Enter the clinician's name.";
  if (t.length > CLINICIAN_MAX) return `At most ${CLINICIAN_MAX} characters.`;
  if (!/^\p{L}[\p{L}\p{M} .,'’-]*$/u.test(t)) return "Letters, spaces, '.', ',', '-' and apostrophes only.";
  if (!/\p{L}.*\p{L}/u.test(t)) return "Enter the clinician's name.";
  return null;
}
