import axios from 'axios';

export async function handler(event: any) {
  const id: string = event.pathParameters.id;
  const res = await axios.get('https://api.example.com/items/' + encodeURIComponent(id));
  return res.data;
}
