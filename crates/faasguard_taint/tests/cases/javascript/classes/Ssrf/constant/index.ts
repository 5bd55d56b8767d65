export async function handler(event: any) {
  const res = await fetch('https://api.example.com/health', { method: 'POST', body: event.body });
  return res.status;
}
