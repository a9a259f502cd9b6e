/** Customers type account ids in any case. */
export function normalizeAccountId(account: string): string {
  return account.trim().toLowerCase();
}

/** Customers type phones with spaces, dashes or a +86 prefix; the back office stores bare digits. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}
