/**
 * Keeps the first and last character so a customer can recognise their own name without the bot
 * disclosing it: 张三 → 张*, 王小明 → 王*明, 欧阳娜娜 → 欧**娜. Code points, not UTF-16 units, so rare
 * characters outside the BMP count as one.
 */
export function maskHolder(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
