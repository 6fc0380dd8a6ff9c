-- POST a new appeal: registered, numbered, indexed and audited, durable before the reply.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"channel":"helpline_111","kind":"report","applicant":{"type":"parent","name":"Әсемгүл Жанбұлатқызы",' ..
  '"phone":"+7 701 234 56 78"},"category":"bullying","risk":"medium","district_id":1,' ..
  '"summary":"Мектепте балаларымызды мазақтайды, сынып жетекшісі көмектеспейді"}'
