export const quoteless = (s: string): string => s.replace(/"/g, '');
