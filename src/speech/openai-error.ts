/** An error naming the status, OpenAI's message and what to do about it (speech and transcription calls). */
export async function openAIError(res: Response, what: string): Promise<Error> {
  const raw = await res.text().catch(() => '');
  let message = raw.slice(0, 300);
  try {
    message = (JSON.parse(raw) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // not JSON: keep the text
  }
  const hint =
    res.status === 401 ? ' — check OPENAI_API_KEY' : res.status === 429 ? ' — rate limited or out of quota; retry later or check billing' : '';
  return Object.assign(new Error(`openai ${what} failed: HTTP ${res.status} ${message}${hint}`), { status: res.status });
}
