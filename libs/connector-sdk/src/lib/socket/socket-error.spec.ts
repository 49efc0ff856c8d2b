// What a client is told about an error thrown by a handler or a service shared with REST.
import { ConflictException, HttpException, HttpStatus, NotFoundException } from '@nestjs/common';
import { SocketError, toSocketErrorReply } from './socket-error';

describe('toSocketErrorReply', () => {
  it('keeps the code and message of SocketErrors and HTTP exceptions, and hides anything else', () => {
    expect(toSocketErrorReply(new SocketError('forbidden', 'Hosts only'))).toEqual({
      code: 'forbidden',
      message: 'Hosts only',
    });
    expect(toSocketErrorReply(new NotFoundException('No such room'))).toEqual({
      code: 'not_found',
      message: 'No such room',
    });
    expect(toSocketErrorReply(new ConflictException('Busy'))).toEqual({ code: 'conflict', message: 'Busy' });
    expect(
      toSocketErrorReply(new HttpException('Slow down: try again in 3 s', HttpStatus.TOO_MANY_REQUESTS)),
    ).toEqual({ code: 'rate_limited', message: 'Slow down: try again in 3 s' });
    expect(toSocketErrorReply(new Error('database password is hunter2'))).toEqual({
      code: 'internal',
      message: 'Internal error',
    });
  });
});
