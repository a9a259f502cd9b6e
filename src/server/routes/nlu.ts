import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { RecognizerSlot } from '../../nlu/recognizer-slot.js';
import { requireRole, type Credentials } from '../auth.js';

const parseBody = z.object({ text: z.string().max(100_000, 'text must be at most 100000 characters') });

/** POST /api/nlu/parse: the same object `npm run classify` prints, for admins testing the model. */
export function registerNluRoutes(server: Server, deps: { nlu: RecognizerSlot; credentials: Credentials }): void {
  server.post('/api/nlu/parse', requireRole(deps.credentials, ['admin']), async (req: Request, res: Response) => {
    const body = parseBody.safeParse(req.body);
    if (!body.success) {
      res.json(400, { error: 'bad_request', message: 'Send a JSON body {"text": "…"} with a string text.' });
      return;
    }
    const recognizer = deps.nlu.current;
    if (!recognizer) {
      res.setHeader('retry-after', '5');
      res.json(503, { error: 'nlu_unavailable', message: `The language model is ${deps.nlu.state}.` });
      return;
    }
    res.json(200, await recognizer.parse(body.data.text));
  });
}
