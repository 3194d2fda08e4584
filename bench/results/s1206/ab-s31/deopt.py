import json,sys,collections,datetime
f=sys.argv[1]; s=int(sys.argv[2]) if len(sys.argv)>2 else 0; e=int(sys.argv[3]) if len(sys.argv)>3 else 1<<62
ev=json.load(open(f))['recording']['events']
c=collections.Counter()
for x in ev:
    v=x['values']; t=datetime.datetime.fromisoformat(v['startTime'].replace('Z','+00:00')).timestamp()*1000
    if not (s<=t<=e): continue
    m=v['method']; name=m['type']['name'].split('/')[-1]+'.'+m['name']
    c[(name, v['reason'], v['action'], v.get('instruction',''), v.get('lineNumber'))]+=1
print(f, sum(c.values()))
for k,n in c.most_common(int(sys.argv[4]) if len(sys.argv)>4 else 30): print('  %3d %s'%(n,k))
