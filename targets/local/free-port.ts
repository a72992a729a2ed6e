/** A free TCP port on 127.0.0.1 (the lab binds nothing else), asked of the kernel. */
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('the kernel gave no port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
