import { iceUrlProblem } from '@parley/protocol';

/** The URLs of a textarea (one per line, blank lines ignored) and the problems per URL. */
export function parseIceUrls(text: string): { urls: string[]; problems: string[] } {
  const urls = text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const problems = urls.flatMap((url) => {
    const problem = iceUrlProblem(url);
    return problem ? [`${url}: ${problem}`] : [];
  });
  if (urls.length === 0) problems.push('Enter at least one URL.');
  return { urls, problems };
}
