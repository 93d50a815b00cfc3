return redis.error_reply('BOOM a script that fails')
